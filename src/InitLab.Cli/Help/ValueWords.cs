namespace InitLab.Cli.Help;

/// <summary>What a value of a .NET type is called in an error message ("a whole number", not "System.Int32").</summary>
internal static class ValueWords
{
    public static string For(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsArray ? For(t.GetElementType()!) : For(t.FullName ?? t.Name);
    }

    public static string For(string typeName) => typeName switch
    {
        _ when typeName.Contains("System.UInt", StringComparison.Ordinal) => "a whole number >= 0",
        _ when typeName.Contains("System.Int", StringComparison.Ordinal) => "a whole number",
        _ when typeName.Contains("System.Double", StringComparison.Ordinal) || typeName.Contains("System.Single", StringComparison.Ordinal) => "a number",
        _ when typeName.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
        _ => "text",
    };
}
