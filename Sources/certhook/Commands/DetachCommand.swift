import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct DetachCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "detach", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook detach is not built yet")
  }
}
