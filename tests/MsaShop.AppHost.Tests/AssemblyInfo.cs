// The tests that start the shop each run a dozen processes and three containers: one at a time on a two-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
