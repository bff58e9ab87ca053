import Foundation

extension EmulatorEngine {
  /// Finishes every job whose time has come, in completion order, stamping events with that time.
  func advance(now: Date) {
    let due = state.jobs.indices
      .filter { state.jobs[$0].status == "Processing" && state.jobs[$0].completeAt <= now }
      .sorted { state.jobs[$0].completeAt < state.jobs[$1].completeAt }
    for index in due {
      complete(jobAt: index)
    }
  }

  /// Starts a job on a listener: the listener goes `Configuring` until `jobDelay` has passed.
  func startJob(apiName: String, listenerIndex: Int, change: StoredJob.Change, now exact: Date) -> String {
    let now = TimeFormats.quantized(exact)
    let jobId = state.ids.uuidString().lowercased()
    let listenerId = state.listeners[listenerIndex].id
    state.jobs.append(
      StoredJob(
        id: jobId, apiName: apiName, listenerId: listenerId, change: change, status: "Processing",
        createTime: now, modifyTime: now, completeAt: TimeFormats.quantized(now.addingTimeInterval(jobDelay))))
    state.listeners[listenerIndex].status = "Configuring"
    state.emit(.listenerStatus, time: now, listenerId: listenerId, detail: "Configuring", jobId: jobId)
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
    state.listeners[li].status = "Running"
    state.emit(.listenerStatus, time: time, listenerId: job.listenerId, detail: "Running", jobId: job.id)
    state.jobs[index].status = "Succeeded"
    state.jobs[index].modifyTime = time
    dirty = true
  }
}
