import Foundation

/// One `targets[i]` of a deployment as written: the target and its placement (`account:`, `region:`), read from
/// the same mapping (the default placement for a target written as a plain ID).
struct PlacedTarget: Decodable {
  let target: DeploymentTarget
  let placement: TargetPlacement

  init(from decoder: any Decoder) throws {
    if ConfigurationFields.scalar(decoder) == nil {
      let fields = try ConfigurationFields(decoder, known: DeploymentTarget.fileKeys)
      target = try DeploymentTarget(fields: fields)
      placement = try TargetPlacement(fields: fields)
    } else {
      target = try DeploymentTarget(from: decoder)
      placement = .standard
    }
  }
}
