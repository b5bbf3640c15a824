using MsaShop.EndToEnd.Tests.Infrastructure;

// One shop for the whole assembly: starting ~10 processes once is what keeps the run short.
[assembly: AssemblyFixture(typeof(ShopFixture))]
// Some tests kill a catalog replica or move the canary weight: they must not overlap with the others.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
