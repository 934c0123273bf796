// @ts-check
/**
 * The sandbox chat page: a group chat with the bot, fed by /sandbox/events (server-sent events).
 * Plain modern JS modules, served as-is (no build step): this entry wires the parts in js/ and connects.
 */
import { wireAttachments } from './js/attachments.js';
import { wireCards } from './js/cards.js';
import { wireComposer } from './js/composer.js';
import { wireDrawer } from './js/drawer.js';
import { wireKnobs } from './js/knobs.js';
import { connect } from './js/live.js';
import { wireMentions } from './js/mentions.js';
import { wireReply } from './js/reply.js';
import { wireScroll } from './js/scroll.js';
import { wireUsers } from './js/users.js';

wireScroll();
wireUsers();
wireCards();
wireReply();
wireComposer();
wireAttachments();
wireMentions();
wireKnobs();
wireDrawer();
connect();
