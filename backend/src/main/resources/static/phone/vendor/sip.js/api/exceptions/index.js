export * from "./content-type-unsupported.js";
export * from "./request-pending.js";
export * from "./session-description-handler.js";
export * from "./session-terminated.js";
export * from "./state-transition.js";
