import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct InspectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "inspect", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook inspect is not built yet")
  }
}
