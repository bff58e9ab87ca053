import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct PruneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "prune", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook prune is not built yet")
  }
}
