// The popup's words, in English and Canadian French (the window's two languages).

const en = {
  connecting: 'Looking for Dossier…',
  offline: 'Dossier is not running. Open Dossier (or run `dossier connector serve`), then try again.',
  unpaired: 'This browser is not paired with Dossier yet.',
  pair: 'Pair with Dossier',
  pairWaiting: 'Waiting for Dossier: answer “Allow” in Dossier (or run `dossier connector pair --approve`).',
  paired: 'Paired with Dossier.',
  denied: 'Dossier refused the pairing.',
  checking: 'Checking whether this page is saved…',
  notSaved: 'Not saved in Dossier yet.',
  saved: (title: string, n: number) =>
    `Already saved: “${title}” — ${n} excerpt${n === 1 ? '' : 's'}.`,
  savePage: 'Save page',
  saveExcerpt: 'Save excerpt',
  selectHint: 'Select a passage on the page to save it as an excerpt.',
  note: 'Note',
  tags: 'Tags',
  tagsPlaceholder: 'Type to find a tag, Enter to add',
  question: 'Follow-up question (optional)',
  saving: 'Saving…',
  imported: (title: string) => `Saved: “${title}”.`,
  alreadyPresent: (title: string) => `Already in Dossier: “${title}”.`,
  updated: (title: string) => `Updated in Dossier: “${title}”.`,
  excerptSaved: (title: string) => `Excerpt saved in “${title}”.`,
  unanchoredSaved: (title: string) => `The quote was kept as a note on “${title}”.`,
  notFound:
    'Dossier could not find this passage in the article text it extracted (it may be a caption or a sidebar). Nothing was saved.',
  keepUnanchored: 'Keep the source and the quote as an unanchored note',
  removeTag: (tag: string) => `Remove tag ${tag}`,
  unpair: 'Forget this pairing',
  error: (message: string) => `Dossier refused: ${message}`,
};

type Messages = typeof en;

const fr: Messages = {
  connecting: 'Recherche de Dossier…',
  offline: 'Dossier n’est pas ouvert. Ouvrez Dossier (ou lancez `dossier connector serve`), puis réessayez.',
  unpaired: 'Ce navigateur n’est pas encore jumelé à Dossier.',
  pair: 'Jumeler avec Dossier',
  pairWaiting: 'En attente de Dossier : répondez « Autoriser » dans Dossier (ou lancez `dossier connector pair --approve`).',
  paired: 'Jumelé avec Dossier.',
  denied: 'Dossier a refusé le jumelage.',
  checking: 'Vérification : cette page est-elle déjà enregistrée?',
  notSaved: 'Pas encore enregistrée dans Dossier.',
  saved: (title, n) => `Déjà enregistrée : « ${title} » — ${n} extrait${n > 1 ? 's' : ''}.`,
  savePage: 'Enregistrer la page',
  saveExcerpt: 'Enregistrer l’extrait',
  selectHint: 'Sélectionnez un passage de la page pour l’enregistrer comme extrait.',
  note: 'Note',
  tags: 'Étiquettes',
  tagsPlaceholder: 'Tapez pour trouver une étiquette, Entrée pour l’ajouter',
  question: 'Question de suivi (facultative)',
  saving: 'Enregistrement…',
  imported: (title) => `Enregistrée : « ${title} ».`,
  alreadyPresent: (title) => `Déjà dans Dossier : « ${title} ».`,
  updated: (title) => `Mise à jour dans Dossier : « ${title} ».`,
  excerptSaved: (title) => `Extrait enregistré dans « ${title} ».`,
  unanchoredSaved: (title) => `La citation a été gardée en note sur « ${title} ».`,
  notFound:
    'Dossier ne trouve pas ce passage dans le texte de l’article qu’il a extrait (une légende ou un encadré, peut-être). Rien n’a été enregistré.',
  keepUnanchored: 'Garder la source et la citation comme note non ancrée',
  removeTag: (tag) => `Retirer l’étiquette ${tag}`,
  unpair: 'Oublier ce jumelage',
  error: (message) => `Dossier a refusé : ${message}`,
};

export const t: Messages = navigator.language.toLowerCase().startsWith('fr') ? fr : en;
export const lang = t === fr ? 'fr' : 'en';
