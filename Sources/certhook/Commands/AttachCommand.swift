import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct AttachCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "attach", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook attach is not built yet")
  }
}
