import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct DeployHookCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "deploy-hook", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook deploy-hook is not built yet")
  }
}
