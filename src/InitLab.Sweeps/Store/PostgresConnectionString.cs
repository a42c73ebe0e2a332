using System.Globalization;
using System.Text;
using Npgsql;

namespace InitLab.Sweeps.Store;

/// <summary>Turns a PostgreSQL store value (the <c>store</c> that <see cref="SweepStores"/> takes: a <c>postgresql://</c> or <c>postgres://</c> URI in
/// libpq's form, or an Npgsql <c>Key=Value;…</c> string) into Npgsql settings, and describes them without the password.</summary>
/// <remarks>Npgsql reads only key=value strings; the URI form is what PostgreSQL's own tools, Heroku-style <c>DATABASE_URL</c>s
/// and Kubernetes operators hand out, so it is parsed here (by hand: <see cref="Uri"/> rejects libpq's host lists and
/// percent-encoded socket directories). Npgsql fills what is left out from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGPASSFILE
/// and ~/.pgpass, so a password never has to appear on a command line.</remarks>
internal static class PostgresConnectionString
{
    /// <summary>URI query parameters (libpq names) and the Npgsql keyword each sets.</summary>
    private static readonly Dictionary<string, string> QueryKeywords = new(StringComparer.Ordinal)
    {
        ["host"] = "Host",
        ["port"] = "Port",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["passfile"] = "Passfile",
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["options"] = "Options",
        ["target_session_attrs"] = "Target Session Attributes",
        ["search_path"] = "Search Path",
    };

    /// <summary>True when the text names a PostgreSQL store: a postgresql:// or postgres:// URI, or a key=value string.</summary>
    /// <param name="text">The store value.</param>
    /// <returns>Whether to open it with PostgreSQL.</returns>
    public static bool IsPostgres(string text) => IsUri(text) || LooksLikeKeyValue(text);

    /// <summary>Parses a URI or key=value string into Npgsql settings.</summary>
    /// <param name="store">The store value.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentException">The text is malformed; the message says where, without the password
    /// (<see cref="ArgumentException.ParamName"/> is <c>store</c>).</exception>
    public static NpgsqlConnectionStringBuilder Parse(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (IsUri(store))
        {
            return ParseUri(store);
        }
        try
        {
            return new NpgsqlConnectionStringBuilder(store);
        }
        catch (ArgumentException error)
        {
            // Npgsql's message names the keyword, never the values, so it is safe to repeat.
            throw new ArgumentException($"store: not a valid PostgreSQL connection string ({error.Message}). Use " +
                "postgresql://user@host:port/database, or Host=…;Port=…;Username=…;Database=…, or prefix a file path with 'sqlite:'.",
                nameof(store), error);
        }
    }

    /// <summary>The settings as a URI-like description with the password left out: what messages and reports show.</summary>
    /// <param name="settings">Npgsql settings.</param>
    /// <returns>E.g. <c>postgresql://alice@db.example:5432/sweeps</c>.</returns>
    public static string Describe(NpgsqlConnectionStringBuilder settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder("postgresql://");
        if (!string.IsNullOrEmpty(settings.Username))
        {
            text.Append(settings.Username).Append('@');
        }
        string host = settings.Host ?? "";
        // A socket directory is a path; show it as libpq would take it back: percent-encoded.
        text.Append(host.Contains('/', StringComparison.Ordinal) ? Uri.EscapeDataString(host) : host);
        text.Append(':').Append(settings.Port.ToString(CultureInfo.InvariantCulture));
        text.Append('/').Append(settings.Database ?? "");
        if (!string.IsNullOrEmpty(settings.SearchPath))
        {
            text.Append("?search_path=").Append(Uri.EscapeDataString(settings.SearchPath));
        }
        return text.ToString();
    }

    private static bool IsUri(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>"Host=…", "Server = …;…": a word (letters and spaces) then '=' before any path separator.</summary>
    private static bool LooksLikeKeyValue(string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return false;
        }
        string key = text[..equals].Trim();
        return key.Length > 0 && key.All(c => char.IsAsciiLetter(c) || c == ' ');
    }

    private static NpgsqlConnectionStringBuilder ParseUri(string store)
    {
        string rest = store[(store.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var settings = new NpgsqlConnectionStringBuilder();

        string query = "";
        int questionMark = rest.IndexOf('?', StringComparison.Ordinal);
        if (questionMark >= 0)
        {
            query = rest[(questionMark + 1)..];
            rest = rest[..questionMark];
        }
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string authority = slash >= 0 ? rest[..slash] : rest;
        string database = slash >= 0 ? Decode(rest[(slash + 1)..]) : "";

        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = authority[..at];
            authority = authority[(at + 1)..];
            int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            settings.Username = Decode(colon >= 0 ? userInfo[..colon] : userInfo);
            if (colon >= 0)
            {
                settings.Password = Decode(userInfo[(colon + 1)..]);
            }
        }

        var hosts = new List<string>();
        int? port = null;
        foreach (string part in authority.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            (string host, int? partPort) = SplitHostPort(part, store);
            hosts.Add(host);
            port ??= partPort;
        }
        if (hosts.Count > 0)
        {
            settings.Host = string.Join(',', hosts);
        }
        if (port is int value)
        {
            settings.Port = value;
        }
        if (database.Length > 0)
        {
            settings.Database = database;
        }

        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Decode(equals >= 0 ? pair[..equals] : pair);
            string parameterValue = equals >= 0 ? Decode(pair[(equals + 1)..]) : "";
            if (!QueryKeywords.TryGetValue(name, out string? keyword))
            {
                throw new ArgumentException($"store: unknown parameter '{name}' in the PostgreSQL URI. Valid: " +
                    $"{string.Join(", ", QueryKeywords.Keys.Order(StringComparer.Ordinal))}.", nameof(store));
            }
            try
            {
                settings[keyword] = keyword == "SSL Mode" ? SslModeName(parameterValue) : parameterValue;
            }
            catch (Exception error) when (error is ArgumentException or FormatException)
            {
                string shown = name == "password" ? "(hidden)" : $"'{parameterValue}'";
                throw new ArgumentException($"store: bad value {shown} for '{name}' in the PostgreSQL URI: {error.Message}", nameof(store), error);
            }
        }
        return settings;
    }

    /// <summary>One host[:port] of a URI's host list.</summary>
    /// <param name="part">The host and port.</param>
    /// <param name="store">The whole store value, which an error is about.</param>
    private static (string Host, int? Port) SplitHostPort(string part, string store)
    {
        string host = part;
        string? portText = null;
        if (part.StartsWith('['))
        {
            // [::1]:5432 — an IPv6 literal keeps its colons inside the brackets.
            int close = part.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"store: unclosed '[' in the host '{part}' of the PostgreSQL URI.", nameof(store));
            }
            host = part[1..close];
            if (close + 1 < part.Length && part[close + 1] == ':')
            {
                portText = part[(close + 2)..];
            }
        }
        else
        {
            int colon = part.LastIndexOf(':');
            if (colon >= 0)
            {
                host = part[..colon];
                portText = part[(colon + 1)..];
            }
        }
        int? port = null;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value is < 1 or > 65535)
            {
                throw new ArgumentException($"store: the port '{portText}' in the PostgreSQL URI is not a number in 1..65535.", nameof(store));
            }
            port = value;
        }
        return (Decode(host), port);
    }

    /// <summary>libpq's sslmode values are kebab-case; Npgsql's enum names are Pascal-case.</summary>
    private static string SslModeName(string libpqName) => libpqName switch
    {
        "verify-ca" => "VerifyCA",
        "verify-full" => "VerifyFull",
        _ => libpqName,
    };

    // Uri.UnescapeDataString leaves a malformed escape as it is, which then fails to connect with a message naming it.
    private static string Decode(string text) => Uri.UnescapeDataString(text);
}
