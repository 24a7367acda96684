import FanHeatContracts
import SwiftProtobuf

/// FanHeat's generated types (module FanHeatContracts).
typealias FanHeatRequest = FanHeatContracts.Fanheat_Ingest_V1_IngestRequest
typealias FanHeatActivity = FanHeatContracts.Fanheat_Ingest_V1_Activity
/// swift-protobuf's generated types (ingest.pb.swift in this module, protoc-gen-swift 1.39.0).
typealias PeerRequest = CodecBench.Fanheat_Ingest_V1_IngestRequest
typealias PeerActivity = CodecBench.Fanheat_Ingest_V1_Activity

extension ActivityFixture {
    /// The activity as a FanHeat message.
    var fanHeat: FanHeatActivity {
        var message = FanHeatActivity()
        message.eventID = eventID
        message.clubID = clubID
        message.memberID = memberID
        message.kind = .init(rawValue: Int32(kind))
        message.occurredAtMs = occurredAtMs
        message.itemID = itemID
        message.value = value
        message.currency = currency
        message.attributes = attributes
        return message
    }

    /// The activity as a swift-protobuf message.
    var peer: PeerActivity {
        var message = PeerActivity()
        message.eventID = eventID
        message.clubID = clubID
        message.memberID = memberID
        message.kind = .init(rawValue: kind) ?? .unspecified
        message.occurredAtMs = occurredAtMs
        message.itemID = itemID
        message.value = value
        message.currency = currency
        message.attributes = attributes
        return message
    }
}
