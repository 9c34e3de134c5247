import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MessageActionsContext, type MessageActionsApi } from './messageActionsContext';
import { ReactionChips, reactedBy } from './ReactionChips';

const api: MessageActionsApi = {
  peerName: 'Bo',
  reply: jest.fn(),
  edit: jest.fn(),
  askDelete: jest.fn(),
  react: jest.fn(),
  show: jest.fn(),
};

const reactions = [
  { emoji: '👍', count: 2, reactedByMe: true },
  { emoji: '❤️', count: 1, reactedByMe: false },
  { emoji: '😂', count: 1, reactedByMe: true },
];

function renderChips(onToggle = jest.fn()) {
  const user = userEvent.setup();
  render(
    <MessageActionsContext.Provider value={api}>
      <button type="button">before</button>
      <ReactionChips reactions={reactions} onToggle={onToggle} />
    </MessageActionsContext.Provider>,
  );
  return { user, onToggle };
}

describe('ReactionChips', () => {
  it('says who reacted in each chip’s accessible name (1:1: the viewer, the peer, or both)', () => {
    renderChips();
    expect(screen.getByRole('button', { name: '👍 2: You and Bo' })).toHaveAccessibleDescription(
      'Remove your reaction',
    );
    expect(screen.getByRole('button', { name: '❤️ 1: Bo' })).toHaveAccessibleDescription('React too');
    expect(screen.getByRole('button', { name: '😂 1: You' })).toHaveAttribute('aria-pressed', 'true');
    // No title: the native one would show beside the tooltip, and reaches neither keyboard nor touch.
    screen.getAllByTestId('reaction').forEach((chip) => expect(chip).not.toHaveAttribute('title'));
  });

  it('holds a tooltip per chip saying who reacted (shown by CSS on hover and focus), which Escape hides', async () => {
    const { user, onToggle } = renderChips();
    const tips = screen.getAllByTestId('reaction-tip');
    expect(tips.map((t) => t.textContent)).toEqual(['You and Bo', 'Bo', 'You']);
    // For the eyes only: the name already says it.
    tips.forEach((tip) => expect(tip).toHaveAttribute('aria-hidden', 'true'));

    screen.getByRole('button', { name: 'before' }).focus();
    await user.tab();
    await user.tab();
    expect(screen.getByRole('button', { name: /^❤️/ })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(tips[1]).toHaveClass('reaction__tip--dismissed');
    expect(tips[0]).not.toHaveClass('reaction__tip--dismissed');
    await user.keyboard('{Enter}'); // still a toggle
    expect(onToggle).toHaveBeenCalledWith('❤️', true);
    await user.tab(); // leaving the chip brings it back for the next time
    expect(tips[1]).not.toHaveClass('reaction__tip--dismissed');
    await user.keyboard('{Escape}');
    expect(tips[2]).toHaveClass('reaction__tip--dismissed');
    await user.hover(screen.getByRole('button', { name: /^😂/ }));
    expect(tips[2]).toHaveClass('reaction__tip--dismissed');
    await user.unhover(screen.getByRole('button', { name: /^😂/ }));
    expect(tips[2]).not.toHaveClass('reaction__tip--dismissed');
  });

  it('derives the wording from the count and whether the viewer reacted', () => {
    expect(reactedBy({ emoji: '👍', count: 1, reactedByMe: true }, 'Bo')).toBe('You');
    expect(reactedBy({ emoji: '👍', count: 1, reactedByMe: false }, 'Bo')).toBe('Bo');
    expect(reactedBy({ emoji: '👍', count: 2, reactedByMe: true }, 'Bo')).toBe('You and Bo');
    expect(reactedBy({ emoji: '👍', count: 1, reactedByMe: false }, undefined)).toBe('Them');
  });
});
