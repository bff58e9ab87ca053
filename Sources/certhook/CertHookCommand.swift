import ArgumentParser

/// The `certhook` command line: every subcommand is a thin shell over a library object.
@main
struct CertHookCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "certhook",
    abstract: "Keep TLS certificates on Alibaba Cloud ALB listeners fresh.",
    version: VersionInfo.text,
    subcommands: [
      InspectCommand.self,
      ScanCommand.self,
      ListenersCommand.self,
      EmulatorCommand.self,
      UploadCommand.self,
      AttachCommand.self,
      DetachCommand.self,
      DeployHookCommand.self,
      SyncCommand.self,
      StatusCommand.self,
      ConfigCommand.self,
      AuditCommand.self,
      ProbeCommand.self,
      PruneCommand.self,
      DemoCommand.self,
      CredentialsCommand.self,
    ]
  )
}
