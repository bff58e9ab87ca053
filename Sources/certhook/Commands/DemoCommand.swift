import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "demo", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook demo is not built yet")
  }
}
