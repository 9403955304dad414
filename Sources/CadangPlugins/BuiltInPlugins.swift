import CadangCore
import CadangHost
import CSVSink
import DuplicatePolicy
import HealthchecksMonitor
import JSONSink
import KasirSource
import NtfyMonitor
import POSOrderSource
import PostgresSink
import RcloneSink
import RetentionPolicy
import TarGzSink
import WebhookMonitor
import XLSXSink

extension PluginRegistry {
    /// Every plugin of this build, in listing order. Adding a plugin is one line here (and its
    /// target in this target's dependencies in Package.swift).
    public static let builtIn = PluginRegistry([
        .source(KasirSource.self),
        .source(POSOrderSource.self),
        .sink(CSVSink.self),
        .sink(JSONSink.self),
        .sink(XLSXSink.self),
        .sink(TarGzSink.self),
        .sink(RcloneSink.self),
        .sink(PostgresSink.self),
        .policy(RetentionPolicy.self),
        .policy(DuplicatePolicy.self),
        .monitor(HealthchecksMonitor.self),
        .monitor(NtfyMonitor.self),
        .monitor(WebhookMonitor.self),
    ])
}
