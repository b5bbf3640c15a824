namespace MsaShop.Messaging.Tests;

public sealed class RabbitMqConnectionTests
{
    [Theory]
    [InlineData("amqp://guest:guest@127.0.0.1:5673/orders-1", "127.0.0.1", 5673, "orders-1", "guest", "guest", false)]
    [InlineData("amqp://user:p%40ss%3Aword@rabbit:5672", "rabbit", 5672, "/", "user", "p@ss:word", false)]
    [InlineData("amqp://user:secret@rabbit/%2F", "rabbit", 5672, "/", "user", "secret", false)]
    [InlineData("amqps://user:secret@rabbit.example.com/shop", "rabbit.example.com", 5671, "shop", "user", "secret", true)]
    public void Parses_the_amqp_uri_Aspire_injects(string uri, string host, int port, string virtualHost, string user, string password,
        bool ssl) =>
        Assert.Equal(new RabbitMqConnection(host, (ushort)port, virtualHost, user, password, ssl), RabbitMqConnection.Parse(uri));

    [Theory]
    [InlineData("host=rabbit;username=guest")]
    [InlineData("http://rabbit:5672/")]
    public void Rejects_anything_but_an_amqp_uri(string connectionString) =>
        Assert.Throws<FormatException>(() => RabbitMqConnection.Parse(connectionString));

    [Fact]
    public void Does_not_print_the_password() =>
        Assert.DoesNotContain("secret", RabbitMqConnection.Parse("amqp://user:secret@rabbit/shop").ToString(), StringComparison.Ordinal);
}
