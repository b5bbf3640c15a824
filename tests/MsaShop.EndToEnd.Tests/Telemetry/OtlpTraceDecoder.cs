using Google.Protobuf;

namespace MsaShop.EndToEnd.Tests.Telemetry;

/// <summary>
/// Reads the few fields the tests need from an OTLP ExportTraceServiceRequest, by field number
/// (opentelemetry/proto/trace/v1/trace.proto), so no generated code is needed. Everything else is skipped.
/// </summary>
public static class OtlpTraceDecoder
{
    public static List<ExportedSpan> Decode(byte[] exportTraceServiceRequest)
    {
        var spans = new List<ExportedSpan>();
        // ExportTraceServiceRequest.resource_spans = 1
        ForEachField(exportTraceServiceRequest, (field, input) =>
        {
            if (field == 1) ReadResourceSpans(input.ReadBytes(), spans); else input.SkipLastField();
        });
        return spans;
    }

    private static void ReadResourceSpans(ByteString resourceSpans, List<ExportedSpan> spans)
    {
        var service = "";
        var scopeSpans = new List<ByteString>();
        // ResourceSpans.resource = 1, scope_spans = 2
        ForEachField(resourceSpans, (field, input) =>
        {
            switch (field)
            {
                case 1: service = ServiceName(input.ReadBytes()); break;
                case 2: scopeSpans.Add(input.ReadBytes()); break;
                default: input.SkipLastField(); break;
            }
        });
        foreach (var scope in scopeSpans)
        {
            // ScopeSpans.spans = 2
            ForEachField(scope, (field, input) =>
            {
                if (field == 2) spans.Add(ReadSpan(service, input.ReadBytes())); else input.SkipLastField();
            });
        }
    }

    /// <summary>Resource.attributes = 1 (KeyValue: key = 1, value = 2 → AnyValue.string_value = 1), key "service.name".</summary>
    private static string ServiceName(ByteString resource)
    {
        var name = "";
        ForEachField(resource, (field, input) =>
        {
            if (field != 1)
            {
                input.SkipLastField();
                return;
            }
            string? key = null, value = null;
            ForEachField(input.ReadBytes(), (kvField, kv) =>
            {
                switch (kvField)
                {
                    case 1: key = kv.ReadString(); break;
                    case 2:
                        ForEachField(kv.ReadBytes(), (anyField, any) =>
                        {
                            if (anyField == 1) value = any.ReadString(); else any.SkipLastField();
                        });
                        break;
                    default: kv.SkipLastField(); break;
                }
            });
            if (key == "service.name" && value is not null)
            {
                name = value;
            }
        });
        return name;
    }

    /// <summary>Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, kind = 6.</summary>
    private static ExportedSpan ReadSpan(string service, ByteString span)
    {
        string traceId = "", spanId = "", parentSpanId = "", name = "";
        var kind = SpanKind.Unspecified;
        ForEachField(span, (field, input) =>
        {
            switch (field)
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 4: parentSpanId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 5: name = input.ReadString(); break;
                case 6: kind = (SpanKind)input.ReadEnum(); break;
                default: input.SkipLastField(); break;
            }
        });
        return new ExportedSpan(service, traceId, spanId, parentSpanId, name, kind);
    }

    private static void ForEachField(ByteString message, Action<int, CodedInputStream> read) =>
        ForEachField(message.ToByteArray(), read);

    private static void ForEachField(byte[] message, Action<int, CodedInputStream> read)
    {
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            read(WireFormat.GetTagFieldNumber(tag), input);
        }
    }
}
