using System.Globalization;
using System.Text;

namespace MsaShop.Deployment.Tests.Pipelines;

/// <summary>
/// GitHub Actions expressions, as far as MsaShop's workflows use them: literals, context paths (github.ref,
/// inputs.x, vars.X, needs.job.outputs.y), == and != (strings compared case-insensitively, as GitHub does),
/// !, &amp;&amp; and || (which return an operand, as GitHub's do), parentheses, and the functions always(), success(),
/// failure(), cancelled(), startsWith(), endsWith(), contains() and format(). Anything else is refused.
/// </summary>
internal sealed class WorkflowExpression
{
    private static readonly string[] StatusFunctions = ["always(", "success(", "failure(", "cancelled("];

    private readonly List<string> _tokens;
    private readonly JsonObject _contexts;
    private readonly bool _needsSucceeded;
    private int _position;

    private WorkflowExpression(string text, JsonObject contexts, bool needsSucceeded)
    {
        _tokens = Tokenize(text);
        _contexts = contexts;
        _needsSucceeded = needsSucceeded;
    }

    /// <summary>Evaluates an expression (with or without <c>${{ }}</c>).</summary>
    public static JsonNode? Evaluate(string text, JsonObject contexts, bool needsSucceeded = true)
    {
        var expression = new WorkflowExpression(Unwrap(text), contexts, needsSucceeded);
        var value = expression.Or();
        if (expression._position != expression._tokens.Count)
        {
            throw new NotSupportedException($"expression '{text}': unexpected '{expression._tokens[expression._position]}'");
        }

        return value;
    }

    /// <summary>A job's or step's <c>if:</c>: without a status function, GitHub adds success().</summary>
    public static bool Condition(string? text, JsonObject contexts, bool needsSucceeded = true)
    {
        var condition = Unwrap(text ?? "success()");
        if (!StatusFunctions.Any(f => condition.Contains(f, StringComparison.Ordinal)))
        {
            condition = $"success() && ({condition})";
        }

        return IsTruthy(Evaluate(condition, contexts, needsSucceeded));
    }

    /// <summary>A string with <c>${{ }}</c> placeholders filled in.</summary>
    public static string Interpolate(string text, JsonObject contexts)
    {
        var result = new StringBuilder();
        var at = 0;
        while (text.IndexOf("${{", at, StringComparison.Ordinal) is var start and >= 0)
        {
            var end = text.IndexOf("}}", start, StringComparison.Ordinal);
            result.Append(text, at, start - at).Append(AsString(Evaluate(text[(start + 3)..end], contexts)));
            at = end + 2;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }

    public static bool IsTruthy(JsonNode? value) => value switch
    {
        null => false,
        _ when value.GetValueKind() == System.Text.Json.JsonValueKind.False => false,
        _ when value.GetValueKind() == System.Text.Json.JsonValueKind.True => true,
        _ when value.GetValueKind() == System.Text.Json.JsonValueKind.Number => (double)value != 0,
        _ when value.GetValueKind() == System.Text.Json.JsonValueKind.String => ((string)value!).Length > 0,
        _ => true,
    };

    private static string Unwrap(string text)
    {
        var trimmed = text.Trim();
        return trimmed.StartsWith("${{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal)
            ? trimmed[3..^2]
            : trimmed;
    }

    private static string AsString(JsonNode? value) => value switch
    {
        null => "",
        _ when value.GetValueKind() == System.Text.Json.JsonValueKind.String => (string)value!,
        _ => value.ToJsonString(),
    };

    private JsonNode? Or()
    {
        var left = And();
        while (Accept("||"))
        {
            var right = And();
            left = IsTruthy(left) ? left : right;
        }

        return left;
    }

    private JsonNode? And()
    {
        var left = Comparison();
        while (Accept("&&"))
        {
            var right = Comparison();
            left = IsTruthy(left) ? right : left;
        }

        return left;
    }

    private JsonNode? Comparison()
    {
        var left = Unary();
        while (Peek() is "==" or "!=")
        {
            var equal = Next() == "==";
            var right = Unary();
            left = JsonValue.Create(AreEqual(left, right) == equal);
        }

        return left;
    }

    private JsonNode? Unary() => Accept("!") ? JsonValue.Create(!IsTruthy(Unary())) : Primary();

    private JsonNode? Primary()
    {
        var token = Next();
        if (token == "(")
        {
            var inner = Or();
            Expect(")");
            return inner;
        }

        if (token.StartsWith('\''))
        {
            return JsonValue.Create(token[1..^1].Replace("''", "'", StringComparison.Ordinal));
        }

        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        if (token is "true" or "false")
        {
            return JsonValue.Create(token == "true");
        }

        if (token == "null")
        {
            return null;
        }

        return Accept("(") ? Call(token) : Path(token);
    }

    private JsonValue? Call(string function)
    {
        var arguments = new List<JsonNode?>();
        while (!Accept(")"))
        {
            arguments.Add(Or());
            Accept(",");
        }

        string Text(int i) => AsString(arguments[i]);
        return function switch
        {
            "always" => JsonValue.Create(true),
            "success" => JsonValue.Create(_needsSucceeded),
            "failure" or "cancelled" => JsonValue.Create(false),
            "startsWith" => JsonValue.Create(Text(0).StartsWith(Text(1), StringComparison.OrdinalIgnoreCase)),
            "endsWith" => JsonValue.Create(Text(0).EndsWith(Text(1), StringComparison.OrdinalIgnoreCase)),
            "contains" => JsonValue.Create(Text(0).Contains(Text(1), StringComparison.OrdinalIgnoreCase)),
            "format" => JsonValue.Create(string.Format(CultureInfo.InvariantCulture, Text(0), [.. arguments.Skip(1).Select(AsString)])),
            _ => throw new NotSupportedException($"expression function {function}()"),
        };
    }

    // A missing property is null, as in GitHub (vars.UNSET is '').
    private JsonNode? Path(string path)
    {
        JsonNode? node = _contexts;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject map ? map[part] : null;
        }

        return node?.DeepClone();
    }

    private static bool AreEqual(JsonNode? left, JsonNode? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        var (l, r) = (left.GetValueKind(), right.GetValueKind());
        if (l == System.Text.Json.JsonValueKind.String && r == System.Text.Json.JsonValueKind.String)
        {
            return string.Equals((string)left!, (string)right!, StringComparison.OrdinalIgnoreCase);
        }

        return l == r ? JsonNode.DeepEquals(left, right) : IsTruthy(left) == IsTruthy(right) && AsString(left) == AsString(right);
    }

    private string? Peek() => _position < _tokens.Count ? _tokens[_position] : null;

    private string Next() =>
        _position < _tokens.Count ? _tokens[_position++] : throw new NotSupportedException("expression ends too early");

    private bool Accept(string token)
    {
        if (Peek() != token)
        {
            return false;
        }

        _position++;
        return true;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
        {
            throw new NotSupportedException($"expected '{token}'");
        }
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var end = i + 1;
                while (end < text.Length && !(text[end] == '\'' && (end + 1 >= text.Length || text[end + 1] != '\'')))
                {
                    end += text[end] == '\'' ? 2 : 1;
                }

                tokens.Add(text[i..(end + 1)]);
                i = end + 1;
            }
            else if (i + 1 < text.Length && text.Substring(i, 2) is "==" or "!=" or "&&" or "||")
            {
                tokens.Add(text.Substring(i, 2));
                i += 2;
            }
            else if ("()!,".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                var end = i;
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '.' or '_' or '-' or '*'))
                {
                    end++;
                }

                if (end == i)
                {
                    throw new NotSupportedException($"expression '{text}': unexpected '{c}'");
                }

                tokens.Add(text[i..end]);
                i = end;
            }
        }

        return tokens;
    }
}
