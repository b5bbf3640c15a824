using System.CommandLine;
using MsaShop.ServiceDefaults.Authentication;

namespace MsaShop.Run;

/// <summary><c>token &lt;subject&gt; [--role admin]</c>: a bearer token the locally running shop accepts.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var subject = new Argument<string>("subject") { Description = "The customer id: the token's sub claim" };
        var roles = new Option<string[]>("--role") { Description = "A role to grant, e.g. admin (repeatable)" };
        var command = new Command("token", "Prints a JWT signed with the development key (valid for one hour)")
        {
            subject,
            roles,
        };
        command.SetAction(parse =>
            Console.WriteLine(DevelopmentTokens.Create(parse.GetRequiredValue(subject), parse.GetValue(roles) ?? [])));
        return command;
    }
}
