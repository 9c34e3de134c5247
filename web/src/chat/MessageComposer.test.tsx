import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MessageComposer } from './MessageComposer';

function setup(props: Partial<Parameters<typeof MessageComposer>[0]> = {}) {
  const sent: string[] = [];
  const onSend = jest.fn((content: string) => {
    sent.push(content);
    return true;
  });
  render(<MessageComposer onSend={onSend} peerName="Bob Baker" {...props} />);
  return {
    sent,
    onSend,
    box: screen.getByRole('textbox', { name: 'Message Bob Baker' }),
    send: screen.getByRole('button', { name: 'Send message' }),
  };
}

/** Typing 4,000 characters one key at a time is slow; a change event sets the draft at once. */
const type = (box: HTMLElement, value: string) => fireEvent.change(box, { target: { value } });

describe('MessageComposer — limits', () => {
  it('shows no counter for short messages, then the room left from 3,500 characters', () => {
    const { box } = setup();
    type(box, 'a'.repeat(3499));
    expect(screen.queryByText(/characters left/)).toBeNull();
    expect(box).not.toHaveAttribute('aria-describedby');

    type(box, 'a'.repeat(3500));
    expect(screen.getByText('500 characters left')).toBeInTheDocument();
    expect(box).toHaveAccessibleDescription('500 characters left');

    // Counted like the server: trimmed, in code points (each emoji is one character, two UTF-16 units).
    type(box, `  ${'😀'.repeat(3990)}\n\n`);
    expect(screen.getByText('10 characters left')).toBeInTheDocument();
  });

  it('refuses more than 4,000 characters before sending, saying by how much', async () => {
    const { box, send, onSend } = setup();
    type(box, 'a'.repeat(4000));
    expect(send).toBeEnabled();
    expect(screen.getByText('0 characters left')).toBeInTheDocument();

    type(box, 'a'.repeat(4012));
    expect(send).toBeDisabled();
    const why = 'Too long: 4,012 of 4,000 characters. Remove 12 to send.';
    expect(screen.getByText(why)).toBeInTheDocument();
    expect(box).toHaveAccessibleDescription(why);
    expect(box).toHaveAttribute('aria-invalid', 'true');

    box.focus();
    await userEvent.keyboard('{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(box).toHaveValue('a'.repeat(4012));
  });

  it('does not send content made only of invisible characters', async () => {
    const { box, send, onSend } = setup();
    type(box, '\u200B\u2060\u3164');
    expect(send).toBeDisabled();
    expect(screen.getByText('Nothing to send: the message has no visible characters.')).toBeInTheDocument();
    box.focus();
    await userEvent.keyboard('{Enter}');
    expect(onSend).not.toHaveBeenCalled();

    type(box, '\u200Bhi');
    expect(send).toBeEnabled();
    expect(screen.queryByText(/Nothing to send/)).toBeNull();
  });

  it('can be turned off with a reason', () => {
    const { box, send } = setup({ disabledReason: 'You cannot send messages here: this person does not exist.' });
    expect(box).toBeDisabled();
    expect(send).toBeDisabled();
    expect(box).toHaveAccessibleDescription('You cannot send messages here: this person does not exist.');
  });
});
