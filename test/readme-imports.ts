/** What the README examples import from "headroom", resolved to the sources. */
export {
  AcquisitionMode,
  createHostMonitors,
  createMemoryHistory as createHistoryStoreForReadme,
  createMonitorRegistry,
  createMonitorScheduler,
  createRegistry,
  createResourceManager,
  encodePrometheusText,
  ResourceTracker,
  ResourceType,
} from "../src/index.js";
