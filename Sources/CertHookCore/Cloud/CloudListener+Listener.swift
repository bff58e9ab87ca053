import AlibabaCloud

extension CloudListener {
  /// The listener `ListListeners`/`GetListenerAttribute` reported, with its default certificate when known.
  init(_ listener: Listener, defaultCertificateId: String? = nil) {
    self.init(
      id: listener.id, loadBalancerId: listener.loadBalancerId, listenerProtocol: listener.protocol,
      port: listener.port, status: listener.status, defaultCertificateId: defaultCertificateId)
  }
}
