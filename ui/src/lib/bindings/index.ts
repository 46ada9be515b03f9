export type { CommandError } from "./CommandError";
export type { SourceSummary } from "./SourceSummary";
export type { WorkspaceInfo } from "./WorkspaceInfo";
