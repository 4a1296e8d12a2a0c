/// A failure the user reads as one message (ArgumentParser prints it and exits 1).
public struct CLIError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
