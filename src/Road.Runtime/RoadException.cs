namespace Road;

/// <summary>A problem the user can fix (bad input, missing file, unknown name): reported as one message, no stack trace.</summary>
public sealed class RoadException(string message) : Exception(message);
