import StackModel
