/**
 * Drag and drop between views. An excerpt is dragged from search results, the reader and the
 * composer's finder onto a briefing section, so its dataTransfer type belongs to none of them.
 */

/** The dataTransfer type that carries an excerpt id. */
export const EXCERPT_DRAG = "application/x-dossier-excerpt";
