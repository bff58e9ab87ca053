import ArgumentParser
import CertHookCore
import Foundation

/// Options every cloud-facing command shares: region, endpoints, profile and verbosity.
struct CloudOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "Region of the ALB instances, e.g. cn-hangzhou (default: ALIBABA_CLOUD_REGION_ID, ALICLOUD_REGION or the aliyun CLI profile's region_id).")
  var region: String?

  @Option(
    name: .customLong("alb-endpoint"),
    help: "ALB API endpoint URL (default: CERTHOOK_ALB_ENDPOINT, else https://alb.<region>.aliyuncs.com). http:// only for loopback.")
  var albEndpoint: String?

  @Option(
    name: .customLong("cas-endpoint"),
    help: "CAS API endpoint URL (default: CERTHOOK_CAS_ENDPOINT, else cas.aliyuncs.com for cn-* regions, cas.ap-southeast-1.aliyuncs.com otherwise).")
  var casEndpoint: String?

  @Option(
    name: .customLong("nlb-endpoint"),
    help: "NLB API endpoint URL (default: CERTHOOK_NLB_ENDPOINT, else https://nlb.<region>.aliyuncs.com).")
  var nlbEndpoint: String?

  @Option(
    name: .customLong("ga-endpoint"),
    help: "Global Accelerator API endpoint URL (default: CERTHOOK_GA_ENDPOINT, else https://ga.cn-hangzhou.aliyuncs.com).")
  var gaEndpoint: String?

  @Option(
    name: .customLong("slb-endpoint"),
    help: "CLB (SLB API) endpoint URL (default: CERTHOOK_SLB_ENDPOINT, else the public SLB endpoint of the region).")
  var slbEndpoint: String?

  @Option(name: .long, help: "Credentials profile (aliyun CLI config.json profile / credentials file section); default: ALIBABA_CLOUD_PROFILE.")
  var profile: String?

  @Flag(name: .shortAndLong, help: "More output on stderr: -v credentials source, -vv requests, -vvv details (never secrets).")
  var verbose: Int

  /// The choices the library applies (with certhook's `User-Agent`).
  var choices: CloudChoices {
    var choices = CloudChoices(
      region: region, albEndpoint: albEndpoint, casEndpoint: casEndpoint, profile: profile,
      userAgent: "certhook/\(VersionInfo.certhook)")
    choices.productEndpoints = ["nlb": nlbEndpoint, "ga": gaEndpoint, "slb": slbEndpoint].compactMapValues { $0 }
    return choices
  }

  func validate() throws {
    for (flag, value) in [
      ("--alb-endpoint", albEndpoint), ("--cas-endpoint", casEndpoint), ("--nlb-endpoint", nlbEndpoint),
      ("--ga-endpoint", gaEndpoint), ("--slb-endpoint", slbEndpoint),
    ] {
      guard let value else { continue }
      guard let url = URL(string: value), url.scheme != nil, url.host != nil else {
        throw ValidationError("\(flag) must be an absolute URL such as https://alb.cn-hangzhou.aliyuncs.com, got '\(value)'")
      }
    }
    if let profile, profile.isEmpty { throw ValidationError("--profile must not be empty") }
  }
}
