using System.CommandLine;
using MsaShop.ServiceDefaults.Authentication;
using MsaShop.Tokens;

// Prints a JWT signed with the development key, which every service accepts in the Development
// environment (the way the AppHost runs them). Never valid anywhere else.
var subject = new Argument<string>("subject") { Description = "The customer id: the token's sub claim" };
var roles = new Option<string[]>("--role") { Description = "A role to grant, e.g. admin (repeatable)" };
var command = new RootCommand($"Prints a development JWT for MsaShop (valid for {DevelopmentTokens.Lifetime.TotalHours:0} hour)")
{
    subject,
    roles,
};
command.SetAction(parse =>
    Console.WriteLine(DevelopmentTokens.Create(parse.GetRequiredValue(subject), parse.GetValue(roles) ?? [])));
return command.Parse(args).Invoke();
