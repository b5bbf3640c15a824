using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using MsaShop.AppHost;

// The MsaShop topology. Resource names are the contract with the services: Aspire turns them into the
// configuration keys the services read (ConnectionStrings__catalogdb, services__catalog__http__0).
var builder = DistributedApplication.CreateBuilder(args);

// Backing services: one PostgreSQL server holding a database per service, Redis, RabbitMQ.
// Aspire's images unless MSASHOP_CONTAINER_IMAGES=bookworm names MsaShop's own (eng/containers/images.sh).
// On F5 they outlive the AppHost with their data, so the next start re-uses them (MSASHOP_CONTAINER_LIFETIME).
// Deployed, the databases live on a managed PostgreSQL server that infra/ provisions: the publish
// manifest names each by its connection string rather than asking for a PostgreSQL container.
var (catalogDb, orderingDb, paymentDb) = builder.ExecutionContext.IsPublishMode
    ? (builder.AddConnectionString("catalogdb"), builder.AddConnectionString("orderingdb"), builder.AddConnectionString("paymentdb"))
    : AddPostgresDatabases();
var cache = builder.AddRedis("cache")
    .WithBookwormImage("msashop/redis", "7.0-bookworm")
    .WithDataKeptBetweenRuns(static redis => redis.WithDataVolume());
var messaging = builder.AddRabbitMQ("messaging")
    .WithManagementUIOnF5()
    .WithBookwormImage("msashop/rabbitmq", "3.10-bookworm")
    .WithDataKeptBetweenRuns(static rabbit => rabbit.WithDataVolume());

// Two deployments of the same catalog code: the stable one scaled out, and a canary that receives
// the share of traffic the gateway's canary weight gives it.
var catalog = AddCatalog("catalog", version: "stable")
    .WithReplicas(2);
var catalogCanary = AddCatalog("catalog-canary", version: "canary")
    .WithDynamicHttpPort();

// Services wait for the servers they cannot start without, never for each other: they all start at once, and
// a call to a service still starting is refused or retried like a call to one that is down (docs/local-run.md).
// Two instances: the saga's consumers compete for its replies, and one instance lost costs no order.
var ordering = builder.AddService<Projects.MsaShop_Ordering>("ordering")
    .WithReplicas(2)
    .WithReference(orderingDb).WaitFor(orderingDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(catalog);

// Payment is reached only through events: no resource references it and it has no external endpoint.
var payment = builder.AddService<Projects.MsaShop_Payment>("payment")
    .WithReference(paymentDb).WaitFor(paymentDb)
    .WithReference(messaging).WaitFor(messaging);

var canaryWeight = builder.AddParameter("gateway-canary-weight", "0", publishValueAsDefault: true)
    .WithDescription("Percentage of users (0-100) whose catalog requests the gateway routes to catalog-canary.");

// The gateway is the only resource reachable from outside the application.
var gateway = builder.AddService<Projects.MsaShop_Gateway>("gateway")
    .WithExternalHttpEndpoints()
    .WithEnvironment("Gateway__Canary__Weight", canaryWeight)
    .WithDashboardLink()
    .WithReference(catalog)
    .WithReference(catalogCanary)
    .WithReference(ordering);

builder.AddDeploymentSigningKey(catalog, catalogCanary, ordering, payment, gateway);

builder.Build().Run();

(IResourceBuilder<IResourceWithConnectionString>, IResourceBuilder<IResourceWithConnectionString>,
    IResourceBuilder<IResourceWithConnectionString>) AddPostgresDatabases()
{
    var postgres = builder.AddPostgres("postgres")
        .WithBookwormImage("msashop/postgres", "15-bookworm")
        .WithDataKeptBetweenRuns(static postgres => postgres.WithDataVolume());
    return (postgres.AddDatabase("catalogdb"), postgres.AddDatabase("orderingdb"), postgres.AddDatabase("paymentdb"));
}

IResourceBuilder<ProjectResource> AddCatalog(string name, string version) =>
    builder.AddService<Projects.MsaShop_Catalog>(name)
        .WithEnvironment("CATALOG_VERSION", version)
        .WithReference(catalogDb).WaitFor(catalogDb)
        .WithReference(cache).WaitFor(cache)
        .WithReference(messaging).WaitFor(messaging);
