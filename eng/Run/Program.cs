using System.CommandLine;
using MsaShop.Run;

// bash eng/run.sh                          → the whole shop on loopback until Ctrl-C
// bash eng/run.sh token alice [--role admin] → a bearer token for calling it
var root = ShopCommand.Create();
root.Add(TokenCommand.Create());

// Ctrl-C and SIGTERM cancel the command's token; stopping every process takes longer than the default 2 s.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(1) });
