using HotlineSystem.MinutesVerifier;

// Checks an export bundle of signed minutes from the bundle alone: docs/minutes-bundle.md.
if (args is ["-h" or "--help"])
{
    Console.WriteLine(Verifier.Usage);
    return Verifier.Verified;
}

if (args is not [var directory])
{
    Console.Error.WriteLine(Verifier.Usage);
    return Verifier.Unusable;
}

return Verifier.Run(directory, Console.Out);
