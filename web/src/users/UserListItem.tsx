import { getFragmentData, graphql, type FragmentType } from '../gql';
import { Avatar } from '../shared/Avatar';

const UserListItem_user = graphql(`
  fragment UserListItem_user on User {
    id
    username
    displayName
  }
`);

export function UserListItem(props: {
  user: FragmentType<typeof UserListItem_user>;
  active: boolean;
  onOpen(userId: string): void;
}) {
  const user = getFragmentData(UserListItem_user, props.user);
  return (
    <li>
      <button
        type="button"
        className={`person${props.active ? ' person--active' : ''}`}
        aria-current={props.active ? 'page' : undefined}
        data-peer-id={user.id}
        onClick={() => props.onOpen(user.id)}
      >
        {/* The accessible name starts with what the button says it does, then the visible text (WCAG 2.5.3). */}
        <span className="visually-hidden">Open conversation with </span>
        <Avatar name={user.displayName} />
        <span className="person__text">
          <span className="person__name" dir="auto">
            {user.displayName}
          </span>
          <span className="person__handle">@{user.username}</span>
        </span>
      </button>
    </li>
  );
}
