namespace MsaShop.Messaging;

/// <summary>
/// A message that can never be handled, however often it is tried (a bug upstream, an impossible request):
/// it skips the retries and the delayed redelivery and goes straight to <c>{endpoint}_error</c> for an operator.
/// </summary>
public class UnprocessableMessageException(string message) : Exception(message);
