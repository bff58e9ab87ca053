import Foundation

/// NLB `GetLoadBalancerAttribute` (2022-04-30): one instance with the DNS name clients reach its listeners by, the
/// way a TLS probe finds an NLB listener's host.
///
/// Rules it keeps: only an NLB instance of the emulator's region is found (else `ResourceNotFound.loadbalancer`, the
/// code Terraform treats as gone); `DNSName` is `ServingLayout.host`, which `/_emulator/state` `dns` maps to the
/// loopback address the instance's TCPSSL listeners are served on; a passing `DryRun` answers `DryRunOperation`.
extension EmulatorEngine {
  func nlbGetLoadBalancerAttribute(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let id = try call.params.required("LoadBalancerId")
    let region = call.params.string("RegionId") ?? state.region
    guard region == state.region, let lb = state.loadBalancer(id, product: .nlb) else {
      throw ApiError(404, "ResourceNotFound.loadbalancer", "The specified resource \(id) is not found.")
    }
    if try call.params.bool("DryRun") { throw ApiError.dryRun }
    let index = state.loadBalancers.firstIndex { $0.id == lb.id } ?? 0
    let address: ResponseJSON = .object([
      ("EniId", .string("eni-\(lb.id)")),
      ("PrivateIPv4Address", .string("10.0.\(index / 250).\(index % 250 + 2)")),
      ("PrivateIPv4HcStatus", .string("Healthy")),
    ])
    return ApiOutcome(fields: [
      ("LoadBalancerId", .string(lb.id)),
      ("LoadBalancerName", .string(lb.id)),
      ("LoadBalancerStatus", .string("Active")),
      ("LoadBalancerBusinessStatus", .string("Normal")),
      ("LoadBalancerType", .string("Network")),
      ("DNSName", .string(ServingLayout.host(of: lb.id, in: state) ?? "")),
      ("AddressType", .string("Internet")),
      ("AddressIpVersion", .string("ipv4")),
      ("CrossZoneEnabled", .bool(true)),
      ("RegionId", .string(state.region)),
      ("ResourceGroupId", .string("rg-emulator")),
      ("VpcId", .string("vpc-emulator")),
      ("SecurityGroupIds", .array([])),
      ("Tags", .array([])),
      ("OperationLocks", .array([])),
      ("LoadBalancerBillingConfig", .object([("PayType", .string("PostPay"))])),
      ("DeletionProtectionConfig", .object([("Enabled", .bool(false))])),
      ("ModificationProtectionConfig", .object([("Status", .string("NonProtection"))])),
      (
        "ZoneMappings",
        .array([
          .object([
            ("ZoneId", .string("\(state.region)-a")), ("VSwitchId", .string("vsw-emulator-a")),
            ("Status", .string("Active")), ("LoadBalancerAddresses", .array([address])),
          ])
        ])
      ),
    ])
  }
}
