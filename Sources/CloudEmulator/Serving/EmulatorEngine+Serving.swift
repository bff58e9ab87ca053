import Foundation

extension EmulatorEngine {
  /// What the listener's data plane holds now (jobs that are due complete first), or nil for an
  /// unknown listener.
  func servingSet(listenerId: String) -> ListenerServingSet? {
    advance(now: clock())
    guard let index = state.listenerIndex(listenerId) else { return nil }
    let l = state.listeners[index]
    func candidate(_ identifier: String) -> ServingCandidate? {
      if let index = state.certificateIndex(identifier: identifier) {
        return ServingCandidate(state.certificates[index], region: state.region)
      }
      return state.serverCertificate(identifier).map {
        var candidate = ServingCandidate($0.record, region: state.region)
        candidate.identifier = identifier
        return candidate
      }
    }
    // GA and CLB bind certificates to domains: the binding, not the certificate's SANs, picks the certificate.
    let live = l.additional.filter { $0.status == "Associated" }
    return ListenerServingSet(
      defaultCertificate: l.defaultCertificateId.flatMap(candidate),
      additional: live.filter { $0.domain == nil }.compactMap { candidate($0.certificateId) },
      bound: live.compactMap { a in a.domain.flatMap { d in candidate(a.certificateId).map { (d, $0) } } }.map {
        ListenerServingSet.Binding(domain: $0.0, candidate: $0.1)
      })
  }

  /// The TLS layout of the current world (which listener answers where).
  func servingLayout(offset: Int) throws -> ServingLayout {
    try ServingLayout.make(state, offset: offset)
  }

  /// `GetLoadBalancerAttribute`: the instance with its DNS name in the real form.
  func getLoadBalancerAttribute(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let id = try call.params.required("LoadBalancerId")
    guard let lb = state.loadBalancer(id, product: .alb) else {
      throw ApiError(404, "ResourceNotFound.LoadBalancer", "The specified resource \(id) is not found.")
    }
    return ApiOutcome(fields: [
      ("LoadBalancerId", .string(lb.id)),
      ("LoadBalancerName", .string(lb.id)),
      ("LoadBalancerStatus", .string("Active")),
      ("LoadBalancerEdition", .string(lb.edition)),
      ("DNSName", .string(ServingLayout.dnsName(loadBalancerId: lb.id, region: state.region))),
      ("AddressType", .string("Internet")),
      ("AddressIpVersion", .string("IPv4")),
      ("RegionId", .string(state.region)),
    ])
  }
}

extension EmulatorEngine {
  /// Records where TLS is served so `/_emulator/state` shows it.
  func setServingLayout(_ layout: ServingLayout?) {
    servingLayout = layout
  }
}
