import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct SyncCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "sync", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook sync is not built yet")
  }
}
