import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct ScanCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "scan", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook scan is not built yet")
  }
}
