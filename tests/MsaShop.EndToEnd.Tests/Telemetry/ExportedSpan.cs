namespace MsaShop.EndToEnd.Tests.Telemetry;

/// <summary>OTLP's SpanKind values.</summary>
public enum SpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

/// <summary>One span as a process exported it, with the service.name of its resource. Ids are lowercase hex.</summary>
public sealed record ExportedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, SpanKind Kind)
{
    public override string ToString() => $"{Service}: {Kind} '{Name}' {SpanId} <- {(ParentSpanId.Length == 0 ? "(root)" : ParentSpanId)}";
}
