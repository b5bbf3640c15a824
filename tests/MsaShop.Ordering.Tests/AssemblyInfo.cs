[assembly: AssemblyFixture(typeof(MsaShop.Testing.InfrastructureFixture))]
