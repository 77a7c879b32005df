// The inspector's entry point: picks the tenant, shows the chosen panel and keeps it live.
import { startInspector } from "./inspector.js";

startInspector(document);
