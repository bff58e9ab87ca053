import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "audit", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook audit is not built yet")
  }
}
