// Real PostgreSQL, Redis and RabbitMQ for the whole assembly; each test class takes its own database and vhost.
[assembly: AssemblyFixture(typeof(MsaShop.Testing.InfrastructureFixture))]
