import Foundation

extension EmulatorEngine {
  /// Finishes every job whose time has come, in completion order, stamping events with that time.
  func advance(now: Date) {
    // Every request advances the jobs: they are looked at in place (through the filter's closure each access of
    // `state.jobs` cost an exclusivity check and a retain, a fiftieth of the emulator's CPU in `bench/fleet`).
    let due = state.jobs.withUnsafeBufferPointer { jobs in
      jobs.indices.filter { jobs[$0].completeAt <= now && jobs[$0].status == "Processing" }
        .sorted { jobs[$0].completeAt < jobs[$1].completeAt }
    }
    for index in due {
      complete(jobAt: index)
    }
  }

  /// Starts a job on a listener: the listener goes `Configuring` (GA: `updating`) until `jobDelay` has passed.
  /// GA's `bindDomains` expects the handler to have appended the `Associating` bindings already.
  func startJob(apiName: String, listenerIndex: Int, change: StoredJob.Change, now exact: Date) -> String {
    let now = TimeFormats.quantized(exact)
    let jobId = state.ids.uuidString().lowercased()
    let listener = state.listeners[listenerIndex]
    let listenerId = listener.id
    var job = StoredJob(
      id: jobId, apiName: apiName, listenerId: listenerId, change: change, status: "Processing",
      createTime: now, modifyTime: now, completeAt: TimeFormats.quantized(now.addingTimeInterval(jobDelay)))
    job.product = listener.product
    state.jobs.append(job)
    state.listeners[listenerIndex].status = listener.busyStatus
    state.emit(.listenerStatus, time: now, listenerId: listenerId, detail: listener.busyStatus, jobId: jobId)
    switch change {
    case .associate(let ids):
      for id in ids {
        state.listeners[listenerIndex].additional.append(StoredAssociation(certificateId: id, status: "Associating"))
        state.emit(.certificateAssociating, time: now, listenerId: listenerId, certificateId: id, jobId: jobId)
      }
    case .dissociate(let ids):
      for id in ids {
        if let a = state.listeners[listenerIndex].additional.firstIndex(where: { $0.certificateId == id }) {
          state.listeners[listenerIndex].additional[a].status = "Diassociating"
        }
        state.emit(.certificateDissociating, time: now, listenerId: listenerId, certificateId: id, jobId: jobId)
      }
    case .bindDomains(let domains):
      for association in state.listeners[listenerIndex].additional
      where association.domain.map(domains.contains) ?? false {
        state.emit(
          .certificateAssociating, time: now, listenerId: listenerId, certificateId: association.certificateId,
          detail: association.domain.map { "domain \($0)" }, jobId: jobId)
      }
    case .unbindDomains(let domains):
      for a in state.listeners[listenerIndex].additional.indices {
        let association = state.listeners[listenerIndex].additional[a]
        guard let domain = association.domain, domains.contains(domain) else { continue }
        state.listeners[listenerIndex].additional[a].status = "Diassociating"
        state.emit(
          .certificateDissociating, time: now, listenerId: listenerId, certificateId: association.certificateId,
          detail: "domain \(domain)", jobId: jobId)
      }
    case .swapDomain(let domain):
      if let pending = state.listeners[listenerIndex].additional.first(where: { $0.domain == domain })?
        .pendingCertificateId
      {
        state.emit(
          .certificateAssociating, time: now, listenerId: listenerId, certificateId: pending,
          detail: "domain \(domain)",
          jobId: jobId)
      }
    case .update:
      break
    }
    dirty = true
    if jobDelay <= 0, let index = state.jobs.indices.last {
      complete(jobAt: index)
    }
    return jobId
  }

  private func complete(jobAt index: Int) {
    let job = state.jobs[index]
    let time = job.completeAt
    guard let li = state.listenerIndex(job.listenerId) else {
      state.jobs[index].status = "Failed"
      state.jobs[index].errorCode = "ResourceNotFound.Listener"
      state.jobs[index].errorMessage = "The specified resource \(job.listenerId) is not found."
      state.jobs[index].modifyTime = time
      return
    }
    switch job.change {
    case .associate(let ids):
      for id in ids {
        if let a = state.listeners[li].additional.firstIndex(where: { $0.certificateId == id }) {
          state.listeners[li].additional[a].status = "Associated"
        }
        state.emit(.certificateAssociated, time: time, listenerId: job.listenerId, certificateId: id, jobId: job.id)
      }
    case .dissociate(let ids):
      for id in ids {
        state.listeners[li].additional.removeAll { $0.certificateId == id }
        state.emit(.certificateDissociated, time: time, listenerId: job.listenerId, certificateId: id, jobId: job.id)
      }
    case .bindDomains(let domains):
      for a in state.listeners[li].additional.indices {
        let association = state.listeners[li].additional[a]
        guard let domain = association.domain, domains.contains(domain), association.status == "Associating" else {
          continue
        }
        state.listeners[li].additional[a].status = "Associated"
        state.emit(
          .certificateAssociated, time: time, listenerId: job.listenerId, certificateId: association.certificateId,
          detail: "domain \(domain)", jobId: job.id)
      }
    case .unbindDomains(let domains):
      let gone = state.listeners[li].additional.filter { $0.domain.map(domains.contains) ?? false }
      state.listeners[li].additional.removeAll { $0.domain.map(domains.contains) ?? false }
      for association in gone {
        state.emit(
          .certificateDissociated, time: time, listenerId: job.listenerId, certificateId: association.certificateId,
          detail: association.domain.map { "domain \($0)" }, jobId: job.id)
      }
    case .swapDomain(let domain):
      // The new certificate serves the domain from the same instant the old one stops: no gap by construction.
      if let a = state.listeners[li].additional.firstIndex(where: { $0.domain == domain }),
        let pending = state.listeners[li].additional[a].pendingCertificateId
      {
        let previous = state.listeners[li].additional[a].certificateId
        state.listeners[li].additional[a].certificateId = pending
        state.listeners[li].additional[a].pendingCertificateId = nil
        let detail = "domain \(domain)"
        state.emit(
          .certificateAssociated, time: time, listenerId: job.listenerId, certificateId: pending, detail: detail,
          jobId: job.id)
        state.emit(
          .certificateDissociating, time: time, listenerId: job.listenerId, certificateId: previous, detail: detail,
          jobId: job.id)
        state.emit(
          .certificateDissociated, time: time, listenerId: job.listenerId, certificateId: previous, detail: detail,
          jobId: job.id)
      }
    case .update(let defaultCertificateId, let description):
      if let description { state.listeners[li].description = description }
      if let newId = defaultCertificateId, newId != state.listeners[li].defaultCertificateId {
        let previous = state.listeners[li].defaultCertificateId
        state.listeners[li].defaultCertificateId = newId
        state.emit(
          .defaultCertificateReplaced, time: time, listenerId: job.listenerId, certificateId: newId,
          detail: previous.map { "previous \($0)" }, jobId: job.id)
      }
    }
    let idle = state.listeners[li].idleStatus
    state.listeners[li].status = idle
    state.emit(.listenerStatus, time: time, listenerId: job.listenerId, detail: idle, jobId: job.id)
    state.jobs[index].status = "Succeeded"
    state.jobs[index].modifyTime = time
    dirty = true
  }
}
