/// The windows `StackObserver` judges exits by, in milliseconds.
public struct ObserverSettings: Sendable, Equatable {
    /// A new process of the same component, role and parent that appears less than this long
    /// after an exit replaces the dead one; after it, the slot is given up (`down`).
    public var replacementWindowMs: Int
    /// This many exits of one slot within `crashLoopWindowMs` make it crash-looping (FATAL).
    public var crashLoopExits: Int
    public var crashLoopWindowMs: Int
    /// A new process is STARTING (or RESTARTING) until it has lived this long (supervisord's
    /// `startsecs=1`), then UP.
    public var settleMs: Int
    /// How many exited identities to remember, so a late zombie in a scan is not a new process.
    public var exitMemory: Int

    public init(
        replacementWindowMs: Int = 10_000, crashLoopExits: Int = 5, crashLoopWindowMs: Int = 10_000,
        settleMs: Int = 1_000, exitMemory: Int = 1_024
    ) {
        self.replacementWindowMs = replacementWindowMs
        self.crashLoopExits = crashLoopExits
        self.crashLoopWindowMs = crashLoopWindowMs
        self.settleMs = settleMs
        self.exitMemory = exitMemory
    }
}
