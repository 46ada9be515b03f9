export type WorkspaceInfo = { path: string };
