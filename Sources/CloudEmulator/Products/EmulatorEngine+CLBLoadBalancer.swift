import Foundation

/// CLB `DescribeLoadBalancerAttribute` (SLB 2014-05-15): one instance and its listeners by port and protocol, the
/// way certhook finds a CLB's HTTPS listeners (a CLB listener has no ID of its own).
///
/// Rule it keeps: the answer lists every listener of the instance, whatever its protocol, in the three shapes the
/// official SDK decodes (`ListenerPorts.ListenerPort[]`, `ListenerPortsAndProtocol.ListenerPortAndProtocol[]` and
/// the service's misspelled `ListenerPortsAndProtocal.ListenerPortAndProtocal[]`), protocols in lowercase as the
/// service writes them; `Address` is the instance's own public address (`ServingLayout.host`), which
/// `/_emulator/state` `dns` maps to the loopback address its listeners are served on.
extension EmulatorEngine {
  func clbDescribeLoadBalancer(_ call: ApiCall, region: String) throws(ApiError) -> ApiOutcome {
    let lbId = try call.params.required("LoadBalancerId")
    guard region == state.region, let lb = state.loadBalancer(lbId, product: .clb) else {
      throw ApiError(404, "InvalidLoadBalancerId.NotFound", "The specified LoadBalancerId \(lbId) does not exist.")
    }
    let listeners = state.listeners.filter { $0.loadBalancerId == lb.id && $0.kind == .clb }.sorted {
      $0.port < $1.port
    }
    let withProtocol: [ResponseJSON] = listeners.map { l in
      .object([
        ("ListenerPort", .int(l.port)), ("ListenerProtocol", .string(l.protocol.lowercased())),
        ("Description", .string(l.description)),
      ])
    }
    let misspelled: [ResponseJSON] = listeners.map { l in
      .object([("ListenerPort", .int(l.port)), ("ListenerProtocal", .string(l.protocol.lowercased()))])
    }
    return ApiOutcome(fields: [
      ("LoadBalancerId", .string(lb.id)),
      ("LoadBalancerName", .string(lb.id)),
      ("LoadBalancerStatus", .string("active")),
      ("RegionId", .string(state.region)),
      ("RegionIdAlias", .string(state.region)),
      ("Address", .string(ServingLayout.host(of: lb.id, in: state) ?? "")),
      ("AddressType", .string("internet")),
      ("AddressIPVersion", .string("ipv4")),
      ("NetworkType", .string("classic")),
      ("LoadBalancerSpec", .string("slb.s2.small")),
      ("PayType", .string("PayOnDemand")),
      ("InternetChargeType", .string("paybytraffic")),
      ("Bandwidth", .int(5120)),
      ("ResourceGroupId", .string("rg-emulator")),
      ("ListenerPorts", .object([("ListenerPort", .array(listeners.map { .int($0.port) }))])),
      ("ListenerPortsAndProtocol", .object([("ListenerPortAndProtocol", .array(withProtocol))])),
      ("ListenerPortsAndProtocal", .object([("ListenerPortAndProtocal", .array(misspelled))])),
      ("BackendServers", .object([("BackendServer", .array([]))])),
    ])
  }
}
