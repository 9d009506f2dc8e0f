// Every exporter type runs the shared suite: the memory exporter in process, and each HTTP
// destination type through createExporter against a local receiver that decodes what it got
// (real Prometheus, VictoriaMetrics and InfluxDB are in test/peers/exporters.test.ts).
import {
  answer,
  type ScriptedServer,
  scriptedServer,
} from "../../test/fixtures/exporters/scripted-server.js";
import { decodeRemoteWrite } from "../expose/remote-write-decode.js";
import { type DeliveredSample, type ExporterHarness, runExporterConformance } from "./conformance.js";
import { createExporter } from "./create-exporter.js";
import { createMemoryExporter, type MemoryExporter } from "./memory-exporter.js";

runExporterConformance("memory", () => {
  let exporter: MemoryExporter;
  return {
    async make({ batchSize }) {
      exporter = createMemoryExporter({ batchSize, flushIntervalMs: 0 });
      return exporter;
    },
    async delivered() {
      return exporter.batches.map((batch) =>
        batch.flatMap((s) =>
          s.families.flatMap((f) =>
            f.series.map((x) => ({
              name: f.name,
              value: (x as { value: number }).value,
              timestampMs: s.timestampMs,
            })),
          ),
        ),
      );
    },
    async cleanup() {},
  };
});

type Decode = (body: Buffer) => DeliveredSample[];

const decoders: Record<string, Decode> = {
  remote_write: (body) =>
    decodeRemoteWrite(body).timeseries.map((s) => ({
      name: s.labels.find(([n]) => n === "__name__")?.[1] ?? "",
      value: s.samples[0].value,
      timestampMs: s.samples[0].timestampMs,
    })),
  influxdb: (body) =>
    body
      .toString()
      .trimEnd()
      .split("\n")
      .map((line) => {
        const [series, fields, ts] = line.split(" ");
        return {
          name: series.split(",")[0],
          value: Number(fields.replace("value=", "")),
          timestampMs: Number(BigInt(ts) / 1_000_000n),
        };
      }),
  otlp: (body) =>
    JSON.parse(body.toString()).resourceMetrics[0].scopeMetrics[0].metrics.flatMap(
      (m: { name: string; gauge: { dataPoints: { asDouble: number; timeUnixNano: string }[] } }) =>
        m.gauge.dataPoints.map((p) => ({
          name: m.name,
          value: p.asDouble,
          timestampMs: Number(BigInt(p.timeUnixNano) / 1_000_000n),
        })),
    ),
  elasticsearch: (body) =>
    body
      .toString()
      .trimEnd()
      .split("\n")
      .filter((_, i) => i % 2 === 1)
      .map((line) => {
        const doc = JSON.parse(line);
        return { name: doc.name, value: doc.value, timestampMs: Date.parse(doc["@timestamp"]) };
      }),
};

for (const [type, decode] of Object.entries(decoders)) {
  runExporterConformance(type, (): ExporterHarness => {
    let server: ScriptedServer;
    return {
      async make({ batchSize }) {
        server = await scriptedServer(
          type === "elasticsearch"
            ? answer(200, '{"errors":false,"items":[]}')
            : answer(type === "otlp" ? 200 : 204),
        );
        return createExporter(
          { name: `conf-${type}`, type, endpoint: server.url, batchSize, flushInterval: 0 },
          { env: {} },
        );
      },
      async delivered() {
        return server.received.map((r) => decode(r.body));
      },
      cleanup: () => server.close(),
    };
  });
}
