namespace HotlineSystem.ErrorQueues;

/// <summary>
/// Where the broker is: --rabbitmq, else ConnectionStrings__RabbitMQ (the services' own setting).
/// A URI given without a password takes it from HOTLINE_RABBITMQ_PASSWORD, so that it need not
/// appear on the command line, where process lists show it.
/// </summary>
public static class BrokerAddress
{
    public const string ConnectionStringVariable = "ConnectionStrings__RabbitMQ";
    public const string PasswordVariable = "HOTLINE_RABBITMQ_PASSWORD";

    public static Uri Resolve(string? option)
    {
        var text = option ?? Environment.GetEnvironmentVariable(ConnectionStringVariable)
            ?? throw new ArgumentException($"No broker: pass --rabbitmq amqp://user@host:5672/vhost or set {ConnectionStringVariable}.");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new ArgumentException("The broker must be an amqp:// or amqps:// URI; the virtual host is its path.");
        }

        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        if (uri.UserInfo.Length > 0 && !uri.UserInfo.Contains(':') && !string.IsNullOrEmpty(password))
        {
            uri = new UriBuilder(uri) { Password = password }.Uri;
        }

        return uri;
    }
}
