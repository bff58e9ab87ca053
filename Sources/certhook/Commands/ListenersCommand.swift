import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct ListenersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "listeners", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook listeners is not built yet")
  }
}
