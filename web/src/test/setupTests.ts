import '@testing-library/jest-dom';

// jsdom lacks these; the components only need them to exist.
if (!Element.prototype.scrollTo) Element.prototype.scrollTo = () => {};

// No layout in jsdom: every rendered row counts as on screen unless a test says otherwise (test/intersection.ts).
import { installIntersectionObserver } from './intersection';
installIntersectionObserver();

// findBy…/waitFor give up after 1 s by default: a lazily loaded chunk on a loaded 2-core CI machine takes longer.
import { configure } from '@testing-library/react';
configure({ asyncUtilTimeout: 5_000 });
