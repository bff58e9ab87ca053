import ArgumentParser

// SCAFFOLD: replaced by the owner of this command; must not survive to the end of the session.
struct UploadCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "upload", abstract: "(not built yet)")

  func run() async throws {
    throw ValidationError("certhook upload is not built yet")
  }
}
