import '@testing-library/jest-dom';

// jsdom lacks these; the components only need them to exist.
if (!Element.prototype.scrollTo) Element.prototype.scrollTo = () => {};
